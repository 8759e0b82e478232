@allure.label.epic:Projects
Feature: A project's recovery point
  Each project records how many hours of its work could be lost at most, its recovery point
  objective (24 hours unless set otherwise), and shows whether the newest backup of the portal's
  data is recent enough to meet it. Until the portal has a verified backup, every project shows
  "no backup recorded".

  Rule: A project has a recovery point objective, 24 hours unless set, and shows whether a backup covers it

    Scenario: A new project's objective is 24 hours, and it shows that no backup is recorded
      Given Theo is signed in
      When Theo starts the project "Tidewater"
      Then Theo sees the project's recovery point objective as 24 hours, with "no backup recorded"

    Scenario: Bea sets the project's objective to 4 hours
      Given Brightside Agency has the project "Harbour Lights"
      When Bea sets the project's recovery point objective to 4 hours
      Then Theo sees the project's recovery point objective as 4 hours, with "no backup recorded"

    @negative
    Scenario Outline: An objective of <hours> hours is refused
      Given Brightside Agency has the project "Harbour Lights"
      When Bea tries to set the project's recovery point objective to <hours> hours
      Then the portal refuses it, naming the field "recovery_point_hours"
      And Theo sees the project's recovery point objective as 24 hours, with "no backup recorded"

      Examples:
        | hours |
        | 0     |
        | 8761  |
        | -4    |
