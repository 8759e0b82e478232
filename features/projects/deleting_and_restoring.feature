@allure.label.epic:Projects
Feature: Deleting and restoring work
  Deleting a task, a milestone or a project hides it from everyone and keeps it in the portal's
  records for the audit. A milestone takes its open tasks with it (its done tasks stay, as the
  record of what was done). A project takes its milestones, tasks and cuts with it, and the links
  to its cuts are revoked. A studio admin can bring a deleted project back within 30 days, with
  everything that was deleted with it and nothing that had been deleted before.

  Background:
    Given Brightside Agency has the project "Harbour Lights" with the milestone "Shoot" and Theo's task "Book the drone"

  Rule: Deleting hides and keeps; a milestone takes its open tasks with it; a project takes its milestones, tasks and cuts; a studio admin restores a project within 30 days with exactly what was deleted with it

    Scenario: A deleted task is hidden from everyone and kept for the audit
      When Pia deletes the task
      Then Theo no longer finds the task "Book the drone"
      And the portal still keeps its record of the task, marked as deleted by Pia

    Scenario: Deleting a milestone deletes its open tasks with it and keeps its done ones
      Given the milestone "Shoot" also has the done task "Scout the harbour"
      And the task "Book the drone" is under the milestone "Shoot"
      When Theo deletes the milestone "Shoot"
      Then Theo finds the task "Scout the harbour" and not "Book the drone"
      And Gina no longer sees the milestone "Shoot"

    Scenario: Deleting a project hides its milestones, tasks and cuts, and revokes the links to its cuts
      Given the project also has the cut "Harbour teaser"
      And Theo has shared the cut with Gina
      When Bea deletes the project
      Then Theo finds neither the project nor its milestone, its task or its cut
      And the audit log records that Bea deleted the milestone, the task and the cut with the project
      And none of the links to the cut works any more

    @allure.severity:critical
    Scenario: Ada restores a project with everything deleted with it, and nothing deleted before
      Given the project also has the task "Scout the harbour"
      And Theo deleted the task "Scout the harbour" before Bea deleted the project
      When Ada restores the project
      Then Theo finds the milestone "Shoot" and the task "Book the drone" again, and not "Scout the harbour"
      And the audit log records that Ada restored the project

    Scenario Outline: A project deleted <age> ago <can>
      Given Bea deleted the project <age> ago
      When Ada tries to restore the project
      Then <outcome>

      Examples: Within 30 days
        | age               | can            | outcome                          |
        | 29 days 23 hours  | can be restored | Theo finds the project again     |

      @negative
      Examples: Past 30 days
        | age               | can               | outcome                                                |
        | 30 days 1 hour    | cannot be restored | Ada is told the project was deleted too long ago to restore |

    @negative @security
    Scenario Outline: <person> cannot restore a deleted project
      Given Bea deleted the project 1 hour ago
      And <person> is signed in
      When <person> tries to restore the project
      Then the portal answers <person> as if the project did not exist
      And Theo still does not find the project

      Examples:
        | person |
        | Bea    |
        | Theo   |
        | Lena   |
