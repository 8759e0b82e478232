@allure.label.epic:Projects @fakes
Feature: Assigning tasks, and handing them over when someone leaves
  The person given a task is told by email (unless their address is suppressed). When someone is
  suspended or leaves their agency, their open tasks go to the remaining producers of the
  organisation that owns each task's project, least loaded first: each task, soonest due first,
  goes to the producer with the fewest open tasks at that moment; between equals, to the one whose
  account is the longest-standing. Each handover is audited, and each producer who received
  something gets one email listing all of it. With no producer left, the tasks become unassigned
  and the agency's admins are told.

  Background:
    Given Brightside Agency has the project "Harbour Lights"

  Rule: The assignee is told by email when a task is given to them, unless their address is suppressed

    Scenario: Pia is told when Theo gives her a task
      When Theo adds the task "Book the drone" for Pia, due in 3 days
      Then Pia receives a task assignment about "Book the drone"

    Scenario: Pia is told when a task is passed to her
      Given Theo has the task "Book the drone"
      When Theo passes the task to Pia
      Then Pia receives a task assignment about "Book the drone"

    @negative
    Scenario: A suppressed address is not emailed, and the task is still given
      Given Pia's address has been suppressed after a hard bounce
      When Theo adds the task "Book the drone" for Pia, due in 3 days
      Then Pia receives no email
      And Pia's task assignment is kept in the outbox as "suppressed"
      And Pia has the task "Book the drone"

  Rule: A departing person's open tasks go to the remaining producers, least loaded first, each told once; with none left, the admins are told

    @allure.severity:critical
    Scenario: Theo's open tasks are shared between Pia and Otto, least loaded first
      Given Theo has the open tasks "Scout the harbour, Book the drone, Order the tapes", due in that order
      And Theo has the done task "Write the treatment"
      And Pia has 1 open task of her own, and Otto has none
      When Bea suspends Theo
      Then the tasks were handed over like this:
        | task              | to   |
        | Scout the harbour | Otto |
        | Book the drone    | Pia  |
        | Order the tapes   | Otto |
      And Otto receives one handover email listing "Scout the harbour, Order the tapes"
      And Pia receives one handover email listing "Book the drone"
      And the task "Write the treatment" stays with Theo
      And the audit log records the 3 handovers

    Scenario: Between equally loaded producers, the longest-standing account gets the first task
      Given Otto has been at the portal longer than Pia
      And Theo has the open tasks "Scout the harbour, Book the drone", due in that order
      When Bea suspends Theo
      Then the tasks were handed over like this:
        | task              | to   |
        | Scout the harbour | Otto |
        | Book the drone    | Pia  |

    Scenario: With no producer left, the tasks become unassigned and Bea is told
      Given Theo has the open tasks "Scout the harbour, Book the drone", due in that order
      And Sam, Brightside's other producer, is suspended
      When Bea suspends Theo
      Then the tasks "Scout the harbour, Book the drone" have no assignee
      And Bea receives one email listing "Scout the harbour, Book the drone" as needing a new owner

    @negative @security
    Scenario: Lena cannot suspend Theo, and his tasks stay his
      Given Theo has the open tasks "Scout the harbour", due in that order
      And Lena is signed in
      When Lena tries to suspend Theo
      Then the portal answers Lena as if Theo did not exist
      And the task "Scout the harbour" stays with Theo
